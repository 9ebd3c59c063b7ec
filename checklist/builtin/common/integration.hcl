# What every provider checklist reads: the integration's configuration
# files, source folders and payment page, each through the provider packs'
# rules (credentials, hosts, switches, JavaScript calls), and the webhook
# endpoint. A checklist includes it with include "integration" {}; these
# variables are then its own (set by use blocks and --var).

fragment "integration" {
  description = "The shared inputs config_files, source_dirs, checkout_page and webhook_url, and the config, source and page probes over them."
}

variable "config_files" {
  type        = list(string)
  default     = []
  description = "Configuration files to read: .env, JSON (with comments), YAML, TOML, .properties, .ini, XML (web.config), PHP (arrays, define) and JS/TS config modules."
}

variable "source_dirs" {
  type        = list(string)
  default     = []
  description = "Source and build folders searched for the provider's endpoints, keys and mode settings; files under public/, dist/, static/… count as client-side."
}

variable "checkout_page" {
  type        = string
  default     = null
  description = "The page with the provider's button, fields or form: an https URL or a built HTML file."
}

variable "webhook_url" {
  type        = string
  default     = null
  description = "The endpoint the provider sends notifications (webhooks, IPN) to (optional)."
}

probe "config" "app" {
  files = var.config_files
}

probe "source" "code" {
  enabled = length(var.source_dirs) > 0
  dirs    = var.source_dirs
}

probe "page" "checkout" {
  enabled = var.checkout_page != null
  source  = var.checkout_page
}
