variable "tags" {
  description = "Tags every Azure resource gets"
  type        = map(string)
  default     = {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-my-svc"
  location = "westeurope"
}

resource "azurerm_storage_account" "assets" {
  name                     = "mysvcassets"
  resource_group_name      = azurerm_resource_group.main.name
  location                 = azurerm_resource_group.main.location
  account_tier             = "Standard"
  account_replication_type = "LRS"

  tags = {
    "cost-center" = "cc-0000" # replaced by the stamped value
    team          = "checkout"
  }
}

# Containers take no tags.
resource "azurerm_storage_container" "assets" {
  name               = "assets"
  storage_account_id = azurerm_storage_account.assets.id
}

resource "azurerm_key_vault" "main" {
  name                = "kv-my-svc"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  tags                = var.tags
}
