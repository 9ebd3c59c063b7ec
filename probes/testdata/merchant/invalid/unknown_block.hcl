merchant {
  legal_name = "X"
  country    = "FR"
  payout {
    iban = "FR1420041010050500013M02606"
  }
}
