merchant {
  legal_name      = "Thistle & Pine Ltd"
  country         = "GB"
  tax_id          = "GB980780684"
  tax_id_verified = true

  payout_account {
    sort_code      = "20-00-00"
    account_number = "55779911"
    holder         = "Thistle & Pine Ltd"
  }

  card_on_file {
    brand   = "visa"
    last4   = "0003"
    expires = "2028-11"
  }

  logo = "https://thistle-and-pine.example/img/logo.png"

  support {
    email = "hello@thistle-and-pine.example"
    phone = "+44 20 7219 3000"
    url   = "https://thistle-and-pine.example/contact"
  }

  seller_central_user {
    email = "orders@thistle-and-pine.example"
    roles = ["customer_service", "finance"]
  }

  service_provider "amazon-pay" {
    aoc_date = "2026-05-10"
  }
}
