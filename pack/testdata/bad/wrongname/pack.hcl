provider "other" {
  title = "Other"
}
