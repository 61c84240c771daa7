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

# Argo CD and Argo Rollouts (delivery.tf) go onto the cluster through its API server, as
# the operator running Terraform (Entra ID token from kubelogin; local accounts are off).
provider "helm" {
  kubernetes = {
    host                   = azurerm_kubernetes_cluster.main.kube_config[0].host
    cluster_ca_certificate = base64decode(azurerm_kubernetes_cluster.main.kube_config[0].cluster_ca_certificate)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "kubelogin"
      # 6dae42f8-…: the AKS AAD server application, the same in every tenant.
      args = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
    }
  }
}
