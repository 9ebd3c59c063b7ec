merchant {
  legal_name      = "Café Étoile SARL"
  country         = "FR"
  tax_id          = "FR40303265045"
  tax_id_verified = true

  payout_account {
    iban   = "FR14 2004 1010 0505 0001 3M02 606"
    holder = "Café Étoile SARL"
  }

  card_on_file {
    brand   = "visa"
    last4   = "4242"
    expires = "2028-08"
  }

  logo = "assets/logo.png"

  support {
    email = "aide@cafe-etoile.fr"
    phone = "+33 1 42 68 53 00"
    url   = "https://cafe-etoile.fr/aide"
  }

  seller_central_user {
    email = "sav@cafe-etoile.fr"
    roles = ["customer_service"]
  }

  seller_central_user {
    email = "compta@cafe-etoile.fr"
    roles = ["finance"]
  }

  service_provider "amazon-pay" {
    aoc_date = "2026-03-01"
  }
}
