merchant {
  legal_name = "X"
  country    = "France"
}
