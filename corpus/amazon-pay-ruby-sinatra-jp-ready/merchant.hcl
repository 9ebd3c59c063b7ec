merchant {
  legal_name      = "株式会社さくら商店"
  country         = "JP"
  tax_id          = "T1180301018771"
  tax_id_verified = true

  payout_account {
    bank_code      = "0005"
    branch_code    = "001"
    account_type   = "ordinary"
    account_number = "1234567"
    holder         = "カ）サクラシヨウテン"
  }

  card_on_file {
    brand   = "jcb"
    last4   = "0000"
    expires = "2029-03"
  }

  logo = "https://sakura-shoten.example/images/logo.png"

  support {
    email = "support@sakura-shoten.example"
    phone = "+81 3 3210 1234"
    url   = "https://sakura-shoten.example/contact"
  }

  seller_central_user {
    email = "cs@sakura-shoten.example"
    roles = ["customer_service"]
  }

  seller_central_user {
    email = "keiri@sakura-shoten.example"
    roles = ["finance"]
  }

  service_provider "amazon-pay" {
    aoc_date = "2026-01-20"
  }
}
