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
    last4   = "0005"
    expires = "2029-01"
  }

  logo = "assets/logo.png"

  support {
    email = "support@sakura-shoten.jp"
    phone = "+81 3-1234-5678"
    url   = "https://sakura-shoten.jp/support"
  }

  seller_central_user {
    email = "cs@sakura-shoten.jp"
    roles = ["customer_service", "finance"]
  }
}
