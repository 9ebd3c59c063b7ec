merchant {
  legal_name      = "Cedar Ridge Outfitters LLC"
  country         = "US"
  tax_id          = "84-2790516"
  tax_id_verified = true

  payout_account {
    routing_number = "021000021"
    account_number = "4830011722"
    holder         = "Cedar Ridge Outfitters LLC"
  }

  card_on_file {
    brand   = "mastercard"
    last4   = "4444"
    expires = "2028-05"
  }

  logo = "https://cdn.cedar-ridge.example/brand/logo-400.png"

  support {
    email = "help@cedar-ridge.example"
    phone = "+1 212 736 3100"
    url   = "https://cedar-ridge.example/help"
  }

  seller_central_user {
    email = "support@cedar-ridge.example"
    roles = ["customer_service"]
  }

  seller_central_user {
    email = "ap@cedar-ridge.example"
    roles = ["finance"]
  }

  service_provider "amazon-pay" {
    aoc_date = "2026-04-01"
  }
}
