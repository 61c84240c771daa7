locals {
  env     = var.environment
  prod    = var.environment == "prod"
  base    = "${var.name}-${var.environment}"
  compact = "${var.name}${var.environment}" # names without dashes (registry, storage)
  tags = merge({
    project     = var.name
    environment = var.environment
    managed-by  = "terraform"
  }, var.tags)
  # Kubernetes namespace and service account of the workloads (deploy/k8s).
  k8s_namespace       = "${var.name}-${var.environment}"
  k8s_service_account = var.name
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.base}"
  location = var.location
  tags     = local.tags
}
