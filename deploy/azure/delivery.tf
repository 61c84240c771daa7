# Delivery (docs/operations.md, "Delivery"): the identity CI pushes images with, and Argo CD
# + Argo Rollouts on the cluster with the bootstrap Application of deploy/gitops.

# --- CI identity: OIDC federation, no client secret exists -------------------------------
# GitHub Actions (token.actions.githubusercontent.com) and Azure Pipelines service
# connections of type "workload identity federation" (vstoken.dev.azure.com) exchange their
# job's OIDC token for this identity; each allowed job is one subject in
# var.ci_federated_subjects (e.g. main-branch builds in dev, the `prod` environment in prod).
resource "azurerm_user_assigned_identity" "ci" {
  name                = "id-${local.base}-ci"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_federated_identity_credential" "ci" {
  for_each            = { for s in var.ci_federated_subjects : s.name => s }
  name                = "fic-${local.base}-${each.key}"
  resource_group_name = azurerm_resource_group.main.name
  parent_id           = azurerm_user_assigned_identity.ci.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = each.value.issuer
  subject             = each.value.subject
}

# dev: CI builds and pushes here. prod: nothing is pushed, images arrive by promotion (import).
resource "azurerm_role_assignment" "ci_acr_push" {
  count                = local.prod ? 0 : 1
  scope                = azurerm_container_registry.main.id
  role_definition_name = "AcrPush"
  principal_id         = azurerm_user_assigned_identity.ci.principal_id
}

# Promotion copies the image dev runs into this registry (`az acr import`, digest kept):
# the import action here, and pull on the source registry (var.ci_import_source_registry_id).
# Custom roles are defined at subscription level and assignable here to this resource group;
# the assignment below is on the registry alone.
resource "azurerm_role_definition" "acr_import" {
  count             = local.prod ? 1 : 0
  name              = "acr-import-${local.base}"
  scope             = "/subscriptions/${data.azurerm_client_config.current.subscription_id}"
  description       = "Import images into a registry (promotion from another registry)."
  assignable_scopes = [azurerm_resource_group.main.id]

  permissions {
    actions = [
      "Microsoft.ContainerRegistry/registries/read",
      "Microsoft.ContainerRegistry/registries/importImage/action",
    ]
  }
}

resource "azurerm_role_assignment" "ci_acr_import" {
  count              = local.prod ? 1 : 0
  scope              = azurerm_container_registry.main.id
  role_definition_id = azurerm_role_definition.acr_import[0].role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.ci.principal_id
}

resource "azurerm_role_assignment" "ci_acr_import_source" {
  count                = var.ci_import_source_registry_id == null ? 0 : 1
  scope                = var.ci_import_source_registry_id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.ci.principal_id
}

# --- Argo CD and Argo Rollouts (Helm provider) ----------------------------------------------
# Argo CD in HA mode in prod (seed: "ArgoCD GitOps Deployment, HA Mode": Redis HA, two API
# servers, repo servers and ApplicationSet controllers), one of each in dev. Both run on the
# application pool (the system pool keeps CriticalAddonsOnly). The bootstrap Application
# (deploy/gitops/<name>/bootstrap/<environment>.yaml, through the argocd-apps chart) then
# syncs the product's AppProject and Application from Git.
# The Helm provider reaches the API server with kubelogin (Entra ID; local accounts are
# disabled): run Terraform where `az login` works and, for the private prod cluster, from
# inside the VNet. A first apply creates the cluster, a second installs the charts
# (-target=azurerm_kubernetes_cluster_node_pool.app first) — providers configured from a
# resource of the same run need the cluster to exist.
locals {
  gitops_pool = { "tripgen.io/pool" = var.aks.app_pool_name }
  argocd_values = {
    global         = { nodeSelector = local.gitops_pool }
    "redis-ha"     = { enabled = local.prod }
    controller     = { replicas = 1 }
    server         = { replicas = local.prod ? 2 : 1 }
    repoServer     = { replicas = local.prod ? 2 : 1 }
    applicationSet = { replicas = local.prod ? 2 : 1 }
    configs = {
      cm = {
        "exec.enabled"           = false
        "timeout.reconciliation" = "180s"
      }
    }
  }
  gitops_bootstrap_file = "${path.module}/../gitops/${var.name}/bootstrap/${var.environment}.yaml"
  gitops_bootstrap      = fileexists(local.gitops_bootstrap_file) ? yamldecode(file(local.gitops_bootstrap_file)) : null
}

resource "helm_release" "argocd" {
  count            = var.gitops.enabled ? 1 : 0
  name             = "argocd"
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-cd"
  version          = var.gitops.argocd_chart_version
  namespace        = "argocd"
  create_namespace = true
  atomic           = true
  timeout          = 900
  values           = [yamlencode(local.argocd_values)]

  depends_on = [azurerm_kubernetes_cluster_node_pool.app]
}

resource "helm_release" "argo_rollouts" {
  count            = var.gitops.enabled ? 1 : 0
  name             = "argo-rollouts"
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-rollouts"
  version          = var.gitops.rollouts_chart_version
  namespace        = "argo-rollouts"
  create_namespace = true
  atomic           = true
  values = [yamlencode({
    controller = { replicas = local.prod ? 2 : 1, nodeSelector = local.gitops_pool }
    dashboard  = { enabled = false }
  })]

  depends_on = [azurerm_kubernetes_cluster_node_pool.app]
}

resource "helm_release" "gitops_bootstrap" {
  count      = var.gitops.enabled && local.gitops_bootstrap != null ? 1 : 0
  name       = "${var.name}-gitops"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argocd-apps"
  version    = var.gitops.apps_chart_version
  namespace  = "argocd"
  values = [yamlencode({
    applications = {
      (local.gitops_bootstrap.metadata.name) = merge(local.gitops_bootstrap.spec, {
        namespace        = local.gitops_bootstrap.metadata.namespace
        additionalLabels = local.gitops_bootstrap.metadata.labels
      })
    }
  })]

  depends_on = [helm_release.argocd, helm_release.argo_rollouts]
}
