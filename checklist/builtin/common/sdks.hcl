# The sdks_current step every provider checklist shares: the packages
# probe reads lockfiles and manifests, the provider pack's sdk blocks say
# which packages are deprecated or too old. Included as
# include "sdks" { provider = "stripe" title = "Stripe" references = [...] }.

fragment "sdks" {
  description = "The package_dirs variable, the packages probe and the sdks_current step of one provider."
}

input "provider" {
  description = "The provider pack whose sdk blocks apply."
}

input "title" {
  description = "The provider's name as messages show it."
}

input "references" {
  description = "Where the provider documents its supported SDK versions."
}

variable "package_dirs" {
  type        = list(string)
  default     = ["."]
  description = "Folders whose lockfiles and manifests say which ${input.title} SDKs and plugins are installed (node_modules and vendor are left out)."
}

probe "packages" "sdks" {
  enabled  = length(var.package_dirs) > 0
  dirs     = var.package_dirs
  provider = input.provider
}

step "sdks_current" {
  title       = "The ${input.title} SDKs and plugins in use are maintained and recent enough"
  description = "Payment apps and plugins must be kept up to date (seed 003): the lockfiles say which versions are installed; the ${input.title} pack names the deprecated packages and the oldest supported versions."
  severity    = "medium"
  tags        = ["engineering", "maintenance"]
  references  = input.references
  when        = length(var.package_dirs) > 0
  skip_reason = "no package_dirs declared"
  assert {
    condition = length([for p in probe.packages.sdks.packages : p if p.deprecated != ""]) == 0
    message   = "${[for p in probe.packages.sdks.packages : "${p.name} ${p.version} at ${p.file}:${p.line} is deprecated: ${p.deprecated}" if p.deprecated != ""][0]}."
    evidence  = [for p in probe.packages.sdks.packages : { source = p.file, line = p.line, detail = "${p.name} ${p.version} (deprecated)" } if p.deprecated != ""]
  }
  assert {
    condition = length([for p in probe.packages.sdks.packages : p if p.outdated]) == 0
    message   = "${[for p in probe.packages.sdks.packages : "${p.name} ${p.version} at ${p.file}:${p.line} is older than ${p.minimum}, the oldest version ${input.title} supports: upgrade it" if p.outdated][0]}."
    evidence  = [for p in probe.packages.sdks.packages : { source = p.file, line = p.line, detail = "${p.name} ${p.version} < ${p.minimum}" } if p.outdated]
  }
  assert {
    condition = length([for p in probe.packages.sdks.packages : p if p.unknown]) == 0
    message   = "${[for p in probe.packages.sdks.packages : "${p.name} is required as \"${p.version}\" at ${p.file}:${p.line} and no lockfile pins it: the installed version cannot be compared with ${p.minimum}; commit the lockfile" if p.unknown][0]}."
    evidence  = [for p in probe.packages.sdks.packages : { source = p.file, line = p.line, detail = "${p.name} ${p.version}" } if p.unknown]
  }
  pass_message = length(probe.packages.sdks.packages) == 0 ? "No ${input.title} SDK or plugin in the ${length(probe.packages.sdks.files)} lockfile(s) and manifest(s) read." : "${join(", ", distinct([for p in probe.packages.sdks.packages : "${p.name} ${p.version}"]))}: none deprecated or older than supported."
}
