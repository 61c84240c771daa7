# Azure Service Bus with the seed's three queues. Prod: Premium, 2 messaging units,
# 2 partitions, partitioned 16 GB queues, private endpoint. Dev: Basic, 1 GB queues.
# TTL 14 days (seed); lock durations and delivery counts are ours (the seeds give none):
# a schedule generation may run for minutes, so its lock is the 5-minute maximum.
# Queues use sessions on Premium (jobs.servicebus.sessions = true; session id = the trip,
# or the job when it has no trip): one trip's jobs are handled in order, one at a time.

locals {
  # A queue per job kind (var.service_bus_queues; TripGen's by default). Messages that
  # exceed max_delivery or expire go to the queue's dead-letter sub-queue.
  queues             = var.service_bus_queues
  servicebus_premium = var.service_bus.sku == "Premium"
}

resource "azurerm_servicebus_namespace" "main" {
  #checkov:skip=CKV_AZURE_201:Microsoft-managed keys; a customer-managed key needs a Key Vault key lifecycle the seeds do not ask for.
  #checkov:skip=CKV_AZURE_199:Double encryption needs a customer-managed key (see CKV_AZURE_201).
  #checkov:skip=CKV_AZURE_202:A namespace identity only serves customer-managed keys (not used, see CKV_AZURE_201); clients use their own Entra identities.
  #checkov:skip=CKV_AZURE_203:TripGen's AMQP client authenticates with a send/listen shared-access key over TLS (Entra CBS tokens are not implemented); the key lives only in Key Vault.
  #checkov:skip=CKV_AZURE_204:Public access is disabled for Premium (prod); the dev Basic tier cannot have private endpoints.
  name                         = "sb-${local.base}"
  location                     = azurerm_resource_group.main.location
  resource_group_name          = azurerm_resource_group.main.name
  sku                          = var.service_bus.sku
  capacity                     = local.servicebus_premium ? var.service_bus.capacity : 0
  premium_messaging_partitions = local.servicebus_premium ? var.service_bus.partitions : 0
  minimum_tls_version          = "1.2"
  # TripGen's AMQP client authenticates with a shared-access key (SASL PLAIN): the
  # `tripgen-app` rule below (send + listen only), its URL in Key Vault.
  local_auth_enabled            = true
  public_network_access_enabled = !local.servicebus_premium
  tags                          = local.tags
}

resource "azurerm_servicebus_queue" "queues" {
  for_each                             = local.queues
  name                                 = each.key
  namespace_id                         = azurerm_servicebus_namespace.main.id
  partitioning_enabled                 = var.service_bus.partitioning_enabled
  max_size_in_megabytes                = var.service_bus.queue_max_size_mb
  default_message_ttl                  = "P14D"
  lock_duration                        = each.value.lock
  max_delivery_count                   = each.value.max_delivery
  requires_session                     = each.value.sessions && local.servicebus_premium
  dead_lettering_on_message_expiration = true
}

# The application's key: send and listen, no manage.
resource "azurerm_servicebus_namespace_authorization_rule" "app" {
  name         = "${var.name}-app"
  namespace_id = azurerm_servicebus_namespace.main.id
  listen       = true
  send         = true
  manage       = false
}

resource "azurerm_private_endpoint" "servicebus" {
  count               = local.servicebus_premium ? 1 : 0
  name                = "pe-${local.base}-sb"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.messaging.id
  tags                = local.tags

  private_service_connection {
    name                           = "servicebus"
    private_connection_resource_id = azurerm_servicebus_namespace.main.id
    subresource_names              = ["namespace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "servicebus"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones["servicebus"].id]
  }
}

# The TripGen workload identity sends and receives.
resource "azurerm_role_assignment" "workload_servicebus" {
  for_each             = toset(["Azure Service Bus Data Sender", "Azure Service Bus Data Receiver"])
  scope                = azurerm_servicebus_namespace.main.id
  role_definition_name = each.value
  principal_id         = azurerm_user_assigned_identity.workload.principal_id
}
