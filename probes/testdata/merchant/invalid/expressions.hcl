merchant {
  legal_name = var.name
  country    = upper("fr")
}
