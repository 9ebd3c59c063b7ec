# The provider_errors step every provider checklist shares: the errors
# probe counts the provider pack's log_error codes in the log folders.
# Included as include "errors" { provider = "stripe" title = "Stripe" references = [...] }.

fragment "errors" {
  description = "The log_dirs variable, the errors probe and the provider_errors step of one provider."
}

input "provider" {
  description = "The provider pack whose log_error blocks apply."
}

input "title" {
  description = "The provider's name as messages show it."
}

input "references" {
  description = "Where the provider documents its error codes."
}

variable "log_dirs" {
  type        = list(string)
  default     = []
  description = "Log folders searched for ${input.title}'s error codes (signature failures, invalid parameters, timeouts, declines) in the periodic audit."
}

probe "errors" "logs" {
  enabled  = length(var.log_dirs) > 0
  dirs     = var.log_dirs
  provider = input.provider
}

step "provider_errors" {
  title       = "The logs show no ${input.title} errors"
  description = "Check the system's logs first (seed 000): the error codes ${input.title} answered (signature failures, invalid parameters, authentication, timeouts, declines; the pack lists them), counted with first and last seen; sample lines are masked."
  severity    = "medium"
  tags        = ["operations"]
  references  = input.references
  when        = length(var.log_dirs) > 0
  skip_reason = "no log_dirs declared"
  assert {
    condition = probe.errors.logs.total == 0
    message   = "${probe.errors.logs.total} ${input.title} error(s) in ${join(", ", var.log_dirs)}: ${join("; ", [for e in probe.errors.logs.errors : "${e.code} (${e.category}) ×${e.count}${e.first_seen != "" ? " from ${e.first_seen} to ${e.last_seen}" : ""}, first at ${e.first.file}:${e.first.line}"])}."
    evidence  = [for e in probe.errors.logs.errors : { source = e.first.file, line = e.first.line, detail = "${e.code} ×${e.count}: ${e.sample}" }]
  }
  pass_message = "No ${input.title} error code in ${probe.errors.logs.coverage.files_read} log file(s)."
}
