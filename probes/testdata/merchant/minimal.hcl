merchant {
  legal_name = "Kleiner Laden GmbH"
  country    = "DE"
}
