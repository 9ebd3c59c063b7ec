# The DESIGN.md example profile.
merchant {
  legal_name      = "Café Étoile SARL"
  country         = "FR"
  tax_id          = "FR40303265045"
  tax_id_verified = true
  business_email  = "contact@cafe-etoile.fr"
  payout_account {
    iban   = "FR14 2004 1010 0505 0001 3M02 606"
    holder = "Café Étoile SARL"
    bic    = "PSSTFRPPPAR"
  }
  card_on_file {
    brand   = "visa"
    last4   = "4242"
    expires = "2027-08"
  }
  logo = "assets/logo.png" # file or https URL
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
    roles = ["finance", "admin"]
  }
  service_provider "amazon-pay" { aoc_date = "2026-03-01" } # PCI DSS 12.8.4
  service_provider "ovhcloud" {}
}
