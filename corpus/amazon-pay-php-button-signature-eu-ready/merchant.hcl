merchant {
  legal_name      = "Bergblick Sport GmbH"
  country         = "DE"
  tax_id          = "DE136695976"
  tax_id_verified = true

  payout_account {
    iban   = "DE89 3704 0044 0532 0130 00"
    holder = "Bergblick Sport GmbH"
  }

  card_on_file {
    brand   = "visa"
    last4   = "1881"
    expires = "2029-01"
  }

  logo = "https://bergblick-sport.example/static/logo.png"

  support {
    email = "service@bergblick-sport.example"
    phone = "+49 30 901820"
    url   = "https://bergblick-sport.example/hilfe"
  }

  seller_central_user {
    email = "kundenservice@bergblick-sport.example"
    roles = ["customer_service"]
  }

  seller_central_user {
    email = "buchhaltung@bergblick-sport.example"
    roles = ["finance"]
  }

  service_provider "amazon-pay" {
    aoc_date = "2026-02-15"
  }
}
