# Container registry (seed: Premium, geo-replicated). Prod: Premium with a replica in the
# DR region, zone redundancy, private endpoint; pushes from CI come through the firewall
# (var.management_ip_ranges). Dev: Standard.

resource "azurerm_container_registry" "main" {
  #checkov:skip=CKV_AZURE_164:Docker Content Trust (Notary v1) is being retired by Azure; images are pulled by immutable release tag or digest.
  #checkov:skip=CKV_AZURE_166:Quarantine needs an external scanner to release images; Defender for Containers scans the registry instead.
  #checkov:skip=CKV_AZURE_139:The firewall denies by default (Premium) and admits CI and operators only; the cluster pulls through the private endpoint.
  #checkov:skip=CKV_AZURE_165:Geo-replication is on for prod (Premium); dev's Standard registry cannot replicate.
  #checkov:skip=CKV_AZURE_233:Zone redundancy is on for prod (Premium); not available on dev's Standard tier.
  #checkov:skip=CKV_AZURE_237:Dedicated data endpoints are on for prod (Premium); not available on Standard.
  #checkov:skip=CKV_AZURE_163:Image scanning is Microsoft Defender for Containers, a subscription-wide plan enabled outside this module.
  #checkov:skip=CKV_AZURE_167:Retention of untagged manifests is set for prod (Premium only).
  name                          = "cr${local.compact}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = local.prod ? "Premium" : "Standard"
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  public_network_access_enabled = true
  zone_redundancy_enabled       = local.prod
  data_endpoint_enabled         = local.prod
  retention_policy_in_days      = local.prod ? 30 : null
  tags                          = local.tags

  dynamic "network_rule_set" {
    for_each = local.prod ? [1] : []
    content {
      default_action = "Deny"
      ip_rule = [for cidr in var.management_ip_ranges : {
        action   = "Allow"
        ip_range = cidr
      }]
    }
  }

  dynamic "georeplications" {
    for_each = local.prod ? [var.dr_location] : []
    content {
      location                = georeplications.value
      zone_redundancy_enabled = true
      tags                    = local.tags
    }
  }
}

resource "azurerm_private_endpoint" "registry" {
  count               = local.prod ? 1 : 0
  name                = "pe-${local.base}-acr"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.security.id
  tags                = local.tags

  private_service_connection {
    name                           = "registry"
    private_connection_resource_id = azurerm_container_registry.main.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "registry"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones["registry"].id]
  }
}
