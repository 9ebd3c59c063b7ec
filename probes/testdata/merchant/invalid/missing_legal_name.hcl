merchant {
  country = "FR"
}
