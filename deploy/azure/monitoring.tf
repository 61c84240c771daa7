# Log Analytics + Application Insights (seed), diagnostic logs of the platform services,
# and Azure Monitor alerts for what Prometheus inside the cluster cannot see (the
# in-cluster rules are deploy/k8s/base/monitoring/prometheusrule.yaml).

resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-${local.base}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = local.tags
}

resource "azurerm_application_insights" "main" {
  name                          = "appi-${local.base}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  workspace_id                  = azurerm_log_analytics_workspace.main.id
  application_type              = "other"
  sampling_percentage           = 10 # seed: 10 % sampling
  local_authentication_disabled = true
  internet_ingestion_enabled    = true
  internet_query_enabled        = false
  tags                          = local.tags
}

resource "azurerm_monitor_action_group" "oncall" {
  name                = "ag-${local.base}-oncall"
  resource_group_name = azurerm_resource_group.main.name
  short_name          = substr(var.name, 0, 12)
  tags                = local.tags

  email_receiver {
    name                    = "oncall"
    email_address           = var.alert_email
    use_common_alert_schema = true
  }
}

locals {
  diagnostics = merge(
    {
      aks        = azurerm_kubernetes_cluster.main.id
      keyvault   = azurerm_key_vault.main.id
      servicebus = azurerm_servicebus_namespace.main.id
      registry   = azurerm_container_registry.main.id
    },
    var.managed_data_services ? {
      postgres = azurerm_postgresql_flexible_server.main[0].id
    } : {},
    var.edge ? {
      appgw     = azurerm_application_gateway.main[0].id
      frontdoor = azurerm_cdn_frontdoor_profile.main[0].id
    } : {},
    var.blob_storage.enabled ? {
      blob = "${azurerm_storage_account.files[0].id}/blobServices/default"
    } : {},
    length(var.event_hubs.hubs) > 0 ? {
      eventhubs = azurerm_eventhub_namespace.main[0].id
    } : {},
  )
}

resource "azurerm_monitor_diagnostic_setting" "main" {
  for_each                   = local.diagnostics
  name                       = "to-log-analytics"
  target_resource_id         = each.value
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category_group = "allLogs"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

# --- Platform alerts -------------------------------------------------------------------------
locals {
  metric_alerts = merge(
    var.managed_data_services ? {
      postgres-cpu = {
        scope       = azurerm_postgresql_flexible_server.main[0].id, namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
        metric      = "cpu_percent", aggregation = "Average", operator = "GreaterThan", threshold = 80, severity = 2
        description = "PostgreSQL CPU above 80 % (seed warning: CPU > 80 %)"
      }
      postgres-storage = {
        scope       = azurerm_postgresql_flexible_server.main[0].id, namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
        metric      = "storage_percent", aggregation = "Average", operator = "GreaterThan", threshold = 85, severity = 2
        description = "PostgreSQL storage above 85 % (seed warning: disk > 85 %)"
      }
      postgres-memory = {
        scope       = azurerm_postgresql_flexible_server.main[0].id, namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
        metric      = "memory_percent", aggregation = "Average", operator = "GreaterThan", threshold = 90, severity = 1
        description = "PostgreSQL memory above 90 % (seed critical: memory > 90 %)"
      }
      redis-memory = {
        scope       = azurerm_redis_cache.main[0].id, namespace = "Microsoft.Cache/redis"
        metric      = "usedmemorypercentage", aggregation = "Maximum", operator = "GreaterThan", threshold = 90, severity = 1
        description = "Redis memory above 90 % (seed critical: memory > 90 %)"
      }
      redis-cpu = {
        scope       = azurerm_redis_cache.main[0].id, namespace = "Microsoft.Cache/redis"
        metric      = "percentProcessorTime", aggregation = "Average", operator = "GreaterThan", threshold = 80, severity = 2
        description = "Redis CPU above 80 % (seed warning: CPU > 80 %)"
      }
    } : {},
    {
      servicebus-deadletters = {
        scope       = azurerm_servicebus_namespace.main.id, namespace = "Microsoft.ServiceBus/namespaces"
        metric      = "DeadletteredMessages", aggregation = "Maximum", operator = "GreaterThan", threshold = 0, severity = 2
        description = "Messages in a Service Bus dead-letter queue (failure rate)"
      }
      servicebus-backlog = {
        scope       = azurerm_servicebus_namespace.main.id, namespace = "Microsoft.ServiceBus/namespaces"
        metric      = "ActiveMessages", aggregation = "Maximum", operator = "GreaterThan", threshold = 500, severity = 2
        description = "Service Bus queue backlog above 500 messages"
      }
    },
    var.edge ? {
      appgw-unhealthy = {
        scope       = azurerm_application_gateway.main[0].id, namespace = "Microsoft.Network/applicationGateways"
        metric      = "UnhealthyHostCount", aggregation = "Maximum", operator = "GreaterThan", threshold = 0, severity = 1
        description = "Application Gateway sees unhealthy gateway pods"
      }
      appgw-response-time = {
        scope       = azurerm_application_gateway.main[0].id, namespace = "Microsoft.Network/applicationGateways"
        metric      = "ApplicationGatewayTotalTime", aggregation = "Average", operator = "GreaterThan", threshold = 5000, severity = 1
        description = "Average end-to-end time above 5 s (seed critical: response > 5 s)"
      }
    } : {},
  )
}

resource "azurerm_monitor_metric_alert" "platform" {
  for_each            = local.metric_alerts
  name                = "alert-${local.base}-${each.key}"
  resource_group_name = azurerm_resource_group.main.name
  scopes              = [each.value.scope]
  description         = each.value.description
  severity            = each.value.severity
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = local.tags

  criteria {
    metric_namespace = each.value.namespace
    metric_name      = each.value.metric
    aggregation      = each.value.aggregation
    operator         = each.value.operator
    threshold        = each.value.threshold
  }

  action {
    action_group_id = azurerm_monitor_action_group.oncall.id
  }
}
