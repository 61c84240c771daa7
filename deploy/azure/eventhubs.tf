# Event Hubs (HealthSync spec §8.2, §9: the analytics stream `healthsync-analytics`,
# Standard, batched and best effort). Only the analytics stream lives here; domain events
# are Service Bus queues. Entra ID only (no shared keys): the workload identity sends.
# The application's Event Hubs producer is not built yet (docs/healthsync/status.md): the
# hub is provisioned so the stream has somewhere to go when it lands.

resource "azurerm_eventhub_namespace" "main" {
  count                         = length(var.event_hubs.hubs) > 0 ? 1 : 0
  name                          = "evhns-${local.base}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  sku                           = "Standard"
  capacity                      = var.event_hubs.capacity
  auto_inflate_enabled          = var.event_hubs.max_throughputs > 0
  maximum_throughput_units      = var.event_hubs.max_throughputs > 0 ? var.event_hubs.max_throughputs : null
  local_authentication_enabled  = false
  public_network_access_enabled = false
  minimum_tls_version           = "1.2"
  tags                          = local.tags

  network_rulesets {
    default_action                 = "Deny"
    public_network_access_enabled  = false
    trusted_service_access_enabled = true
  }
}

resource "azurerm_eventhub" "hubs" {
  for_each          = length(var.event_hubs.hubs) > 0 ? toset(var.event_hubs.hubs) : toset([])
  name              = each.key
  namespace_id      = azurerm_eventhub_namespace.main[0].id
  partition_count   = var.event_hubs.partitions
  message_retention = var.event_hubs.retention_days
}

resource "azurerm_private_endpoint" "eventhubs" {
  count               = length(var.event_hubs.hubs) > 0 ? 1 : 0
  name                = "pe-${local.base}-evh"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.messaging.id
  tags                = local.tags

  private_service_connection {
    name                           = "eventhubs"
    private_connection_resource_id = azurerm_eventhub_namespace.main[0].id
    subresource_names              = ["namespace"]
    is_manual_connection           = false
  }

  # Event Hubs shares Service Bus's privatelink zone.
  private_dns_zone_group {
    name                 = "eventhubs"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones["servicebus"].id]
  }
}

resource "azurerm_role_assignment" "workload_eventhubs" {
  count                = length(var.event_hubs.hubs) > 0 ? 1 : 0
  scope                = azurerm_eventhub_namespace.main[0].id
  role_definition_name = "Azure Event Hubs Data Sender"
  principal_id         = azurerm_user_assigned_identity.workload.principal_id
}
