# VNet 10.0.0.0/16 (seed) with one subnet per tier, an NSG on each, a NAT gateway for
# the cluster's outbound traffic (external APIs) and private DNS zones for the private
# endpoints.

resource "azurerm_virtual_network" "main" {
  name                = "vnet-${local.base}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = [var.address_space]
  tags                = local.tags
}

resource "azurerm_subnet" "application" {
  name                              = "snet-application"
  resource_group_name               = azurerm_resource_group.main.name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [var.subnet_cidrs.application]
  private_endpoint_network_policies = "Enabled"
}

resource "azurerm_subnet" "pods" {
  name                              = "snet-pods"
  resource_group_name               = azurerm_resource_group.main.name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [var.subnet_cidrs.pods]
  private_endpoint_network_policies = "Enabled"

  delegation {
    name = "aks-pods"
    service_delegation {
      name    = "Microsoft.ContainerService/managedClusters"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "gateway" {
  name                              = "snet-gateway"
  resource_group_name               = azurerm_resource_group.main.name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [var.subnet_cidrs.gateway]
  private_endpoint_network_policies = "Enabled"
}

resource "azurerm_subnet" "database" {
  name                              = "snet-database"
  resource_group_name               = azurerm_resource_group.main.name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [var.subnet_cidrs.database]
  private_endpoint_network_policies = "Enabled"
}

resource "azurerm_subnet" "cache" {
  name                              = "snet-cache"
  resource_group_name               = azurerm_resource_group.main.name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [var.subnet_cidrs.cache]
  private_endpoint_network_policies = "Enabled"
}

resource "azurerm_subnet" "messaging" {
  name                              = "snet-messaging"
  resource_group_name               = azurerm_resource_group.main.name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [var.subnet_cidrs.messaging]
  private_endpoint_network_policies = "Enabled"
}

resource "azurerm_subnet" "security" {
  name                              = "snet-security"
  resource_group_name               = azurerm_resource_group.main.name
  virtual_network_name              = azurerm_virtual_network.main.name
  address_prefixes                  = [var.subnet_cidrs.security]
  private_endpoint_network_policies = "Enabled"
}

# --- NSGs ---------------------------------------------------------------------------------
locals {
  # Subnets that only hold private endpoints: reachable from the cluster only, on the
  # service's port.
  endpoint_subnets = {
    database  = { id = azurerm_subnet.database.id, ports = ["5432"] }
    cache     = { id = azurerm_subnet.cache.id, ports = ["6380"] }
    messaging = { id = azurerm_subnet.messaging.id, ports = ["443", "5671"] }
    security  = { id = azurerm_subnet.security.id, ports = ["443"] }
  }
}

resource "azurerm_network_security_group" "endpoints" {
  for_each            = local.endpoint_subnets
  name                = "nsg-${local.base}-${each.key}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags

  security_rule {
    name                       = "allow-cluster"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefixes    = [var.subnet_cidrs.application, var.subnet_cidrs.pods]
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_ranges    = each.value.ports
  }

  security_rule {
    name                       = "deny-all-inbound"
    priority                   = 4096
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_address_prefix      = "*"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_range     = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "endpoints" {
  for_each                  = local.endpoint_subnets
  subnet_id                 = each.value.id
  network_security_group_id = azurerm_network_security_group.endpoints[each.key].id
}

# Cluster subnets: AKS manages rules on its own NSG; this one only keeps the defaults
# (VNet and load balancer in, everything else denied) explicit.
resource "azurerm_network_security_group" "cluster" {
  name                = "nsg-${local.base}-cluster"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_subnet_network_security_group_association" "application" {
  subnet_id                 = azurerm_subnet.application.id
  network_security_group_id = azurerm_network_security_group.cluster.id
}

resource "azurerm_subnet_network_security_group_association" "pods" {
  subnet_id                 = azurerm_subnet.pods.id
  network_security_group_id = azurerm_network_security_group.cluster.id
}

# Application Gateway subnet: HTTPS from Front Door only, plus the platform's own ranges.
resource "azurerm_network_security_group" "gateway" {
  name                = "nsg-${local.base}-gateway"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags

  security_rule {
    name                       = "allow-frontdoor-https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "AzureFrontDoor.Backend"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_range     = "443"
  }

  security_rule {
    name                       = "allow-gateway-manager"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "GatewayManager"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_range     = "65200-65535"
  }

  security_rule {
    name                       = "allow-load-balancer"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_address_prefix      = "AzureLoadBalancer"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_range     = "*"
  }

  security_rule {
    name                       = "deny-internet"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_address_prefix      = "Internet"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_range     = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "gateway" {
  subnet_id                 = azurerm_subnet.gateway.id
  network_security_group_id = azurerm_network_security_group.gateway.id
}

# --- Outbound through a NAT gateway (seed: external APIs via NAT) ------------------------
resource "azurerm_public_ip" "nat" {
  name                = "pip-${local.base}-nat"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = length(var.aks.zones) > 0 ? var.aks.zones : null
  tags                = local.tags
}

resource "azurerm_nat_gateway" "main" {
  name                    = "ng-${local.base}"
  location                = azurerm_resource_group.main.location
  resource_group_name     = azurerm_resource_group.main.name
  sku_name                = "Standard"
  idle_timeout_in_minutes = 10
  tags                    = local.tags
}

resource "azurerm_nat_gateway_public_ip_association" "main" {
  nat_gateway_id       = azurerm_nat_gateway.main.id
  public_ip_address_id = azurerm_public_ip.nat.id
}

resource "azurerm_subnet_nat_gateway_association" "application" {
  subnet_id      = azurerm_subnet.application.id
  nat_gateway_id = azurerm_nat_gateway.main.id
}

resource "azurerm_subnet_nat_gateway_association" "pods" {
  subnet_id      = azurerm_subnet.pods.id
  nat_gateway_id = azurerm_nat_gateway.main.id
}

# --- Private DNS for the private endpoints -----------------------------------------------
locals {
  private_dns_zones = merge(
    {
      keyvault   = "privatelink.vaultcore.azure.net"
      registry   = "privatelink.azurecr.io"
      servicebus = "privatelink.servicebus.windows.net"
    },
    var.managed_data_services ? {
      postgres = "privatelink.postgres.database.azure.com"
      redis    = "privatelink.redis.cache.windows.net"
    } : {},
    var.blob_storage.enabled ? {
      blob = "privatelink.blob.core.windows.net"
    } : {},
  )
}

resource "azurerm_private_dns_zone" "zones" {
  for_each            = local.private_dns_zones
  name                = each.value
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "zones" {
  for_each              = local.private_dns_zones
  name                  = "link-${each.key}"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.zones[each.key].name
  virtual_network_id    = azurerm_virtual_network.main.id
  registration_enabled  = false
  tags                  = local.tags
}
