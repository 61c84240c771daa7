# AKS (seed): Azure CNI with a pod subnet, Cilium network policies, workload identity,
# Key Vault CSI provider, AGIC (prod), Container Insights. System pool + TripGen pool.

resource "azurerm_user_assigned_identity" "aks" {
  name                = "id-${local.base}-aks"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_role_assignment" "aks_network" {
  scope                = azurerm_virtual_network.main.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.aks.principal_id
}

resource "azurerm_kubernetes_cluster" "main" {
  #checkov:skip=CKV_AZURE_117:Platform-managed keys; a disk encryption set (CMK) adds a key lifecycle the seeds do not ask for. Host encryption is on.
  #checkov:skip=CKV_AZURE_6:Prod is a private cluster (no public API server); dev sets authorized IP ranges from var.aks.authorized_ip_cidr.
  #checkov:skip=CKV_AZURE_115:Dev keeps a public API server limited to authorized IP ranges; prod sets private_cluster_enabled from var.aks.private_cluster.
  #checkov:skip=CKV_AZURE_170:sku_tier is Standard (paid SLA) in prod; dev uses Free by design (seed: 95 % dev availability).
  #checkov:skip=CKV_AZURE_226:Ephemeral OS disks in prod; the dev B2s size has no cache disk for them.
  #checkov:skip=CKV_AZURE_168:Prod uses 50 pods per node; dev keeps the seed's 30 on its small B2s nodes.
  name                              = "aks-${local.base}"
  location                          = azurerm_resource_group.main.location
  resource_group_name               = azurerm_resource_group.main.name
  node_resource_group               = "rg-${local.base}-aks-nodes"
  dns_prefix                        = local.base
  kubernetes_version                = var.kubernetes_version
  sku_tier                          = var.aks.sku_tier
  private_cluster_enabled           = var.aks.private_cluster
  automatic_upgrade_channel         = "patch"
  node_os_upgrade_channel           = "NodeImage"
  local_account_disabled            = true
  role_based_access_control_enabled = true
  azure_policy_enabled              = true
  oidc_issuer_enabled               = true
  workload_identity_enabled         = true
  image_cleaner_enabled             = true
  image_cleaner_interval_hours      = 48
  tags                              = local.tags

  # Blob CSI driver (BlobFuse2): HealthSync's checkup-file volume is its Blob container
  # (storage.tf, deploy/healthsync/k8s/components/objects-blob).
  storage_profile {
    blob_driver_enabled = var.blob_storage.enabled
  }

  default_node_pool {
    name                         = "system"
    vm_size                      = var.aks.system_vm_size
    auto_scaling_enabled         = true
    min_count                    = var.aks.system_min
    max_count                    = var.aks.system_max
    max_pods                     = var.aks.max_pods
    zones                        = length(var.aks.zones) > 0 ? var.aks.zones : null
    vnet_subnet_id               = azurerm_subnet.application.id
    pod_subnet_id                = azurerm_subnet.pods.id
    only_critical_addons_enabled = var.aks.critical_only
    host_encryption_enabled      = true
    node_public_ip_enabled       = false
    os_disk_type                 = var.aks.system_os_disk
    os_disk_size_gb              = var.aks.system_os_disk == "Ephemeral" ? 30 : 64
    temporary_name_for_rotation  = "systemtmp"
    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }

  azure_active_directory_role_based_access_control {
    tenant_id              = data.azurerm_client_config.current.tenant_id
    admin_group_object_ids = var.aks_admin_group_object_ids
    azure_rbac_enabled     = true
  }

  dynamic "api_server_access_profile" {
    for_each = var.aks.private_cluster ? [] : [1]
    content {
      authorized_ip_ranges = concat(var.aks.authorized_ip_cidr, var.management_ip_ranges)
    }
  }

  network_profile {
    network_plugin     = "azure"
    network_data_plane = "cilium"
    network_policy     = "cilium"
    service_cidr       = var.service_cidr
    dns_service_ip     = cidrhost(var.service_cidr, 10)
    outbound_type      = "userAssignedNATGateway"
    load_balancer_sku  = "standard"
  }

  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.main.id
    msi_auth_for_monitoring_enabled = true
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  }

  dynamic "ingress_application_gateway" {
    for_each = var.edge ? [1] : []
    content {
      gateway_id = azurerm_application_gateway.main[0].id
    }
  }

  maintenance_window_auto_upgrade {
    frequency   = "Weekly"
    interval    = 1
    duration    = 4
    day_of_week = "Sunday"
    start_time  = "18:00" # 03:00 KST
    utc_offset  = "+00:00"
  }

  depends_on = [
    azurerm_role_assignment.aks_network,
    azurerm_subnet_nat_gateway_association.application,
    azurerm_subnet_nat_gateway_association.pods,
  ]
}

# The pool TripGen runs on (deploy/k8s nodeSelector tripgen.io/pool): D4s_v3 ×3–10 across
# three zones in prod; B2s spot nodes in dev.
resource "azurerm_kubernetes_cluster_node_pool" "app" {
  #checkov:skip=CKV_AZURE_226:Ephemeral OS disks in prod; the dev B2s size has no cache disk for them.
  #checkov:skip=CKV_AZURE_168:Prod uses 50 pods per node; dev keeps the seed's 30 on its small B2s nodes.
  name                        = var.aks.app_pool_name
  kubernetes_cluster_id       = azurerm_kubernetes_cluster.main.id
  vm_size                     = var.aks.app_vm_size
  mode                        = "User"
  auto_scaling_enabled        = true
  min_count                   = var.aks.app_min
  max_count                   = var.aks.app_max
  max_pods                    = var.aks.max_pods
  zones                       = length(var.aks.zones) > 0 ? var.aks.zones : null
  vnet_subnet_id              = azurerm_subnet.application.id
  pod_subnet_id               = azurerm_subnet.pods.id
  host_encryption_enabled     = true
  node_public_ip_enabled      = false
  os_disk_type                = var.aks.app_os_disk
  os_disk_size_gb             = var.aks.app_os_disk == "Ephemeral" ? 60 : 64
  priority                    = var.aks.app_spot ? "Spot" : "Regular"
  eviction_policy             = var.aks.app_spot ? "Delete" : null
  spot_max_price              = var.aks.app_spot ? -1 : null
  temporary_name_for_rotation = var.aks.app_spot ? null : "apptmp"
  node_labels = {
    "tripgen.io/pool" = var.aks.app_pool_name
  }
  tags = local.tags

  dynamic "upgrade_settings" {
    for_each = var.aks.app_spot ? [] : [1]
    content {
      max_surge = "33%"
    }
  }
}

resource "azurerm_role_assignment" "aks_acr_pull" {
  scope                = azurerm_container_registry.main.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}

# --- Workload identity of the TripGen pods (Key Vault secrets through the CSI driver) ---
resource "azurerm_user_assigned_identity" "workload" {
  name                = "id-${local.base}-workload"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_federated_identity_credential" "workload" {
  name                = "fic-${local.base}-k8s"
  resource_group_name = azurerm_resource_group.main.name
  parent_id           = azurerm_user_assigned_identity.workload.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = azurerm_kubernetes_cluster.main.oidc_issuer_url
  subject             = "system:serviceaccount:${local.k8s_namespace}:${local.k8s_service_account}"
}

resource "azurerm_role_assignment" "workload_kv_secrets" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.workload.principal_id
}

# --- AGIC: the add-on's identity manages the Application Gateway -------------------------
resource "azurerm_role_assignment" "agic_appgw" {
  count                = var.edge ? 1 : 0
  scope                = azurerm_application_gateway.main[0].id
  role_definition_name = "Contributor"
  principal_id         = azurerm_kubernetes_cluster.main.ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id
}

resource "azurerm_role_assignment" "agic_rg_reader" {
  count                = var.edge ? 1 : 0
  scope                = azurerm_resource_group.main.id
  role_definition_name = "Reader"
  principal_id         = azurerm_kubernetes_cluster.main.ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id
}

resource "azurerm_role_assignment" "agic_subnet" {
  count                = var.edge ? 1 : 0
  scope                = azurerm_subnet.gateway.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_kubernetes_cluster.main.ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id
}
