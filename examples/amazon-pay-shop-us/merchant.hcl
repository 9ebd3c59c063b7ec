merchant {
  legal_name      = "Prairie Goods LLC"
  country         = "US"
  tax_id          = "84-2790516"
  tax_id_verified = true

  payout_account {
    routing_number = "053112505"
    account_number = "4830011722"
    holder         = "Prairie Goods LLC"
  }

  card_on_file {
    brand   = "mastercard"
    last4   = "4444"
    expires = "2028-03"
  }

  logo = "assets/logo.png"

  support {
    email = "help@prairiegoods.com"
    phone = "+1 312 555 0142"
    url   = "https://prairiegoods.com/help"
  }

  seller_central_user {
    email = "support@prairiegoods.com"
    roles = ["customer_service"]
  }

  seller_central_user {
    email = "books@prairiegoods.com"
    roles = ["finance"]
  }
}
