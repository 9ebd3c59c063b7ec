merchant {
  legal_name      = "X"
  country         = "FR"
  tax_id_verified = "yes"
}
