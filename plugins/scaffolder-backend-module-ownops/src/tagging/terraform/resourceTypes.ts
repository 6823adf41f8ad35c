/**
 * azurerm resource types known to take a `tags` map. The azurerm provider has
 * no default tags, so these get a `tags` attribute when they lack one.
 */
export const AZURERM_TAGGABLE_TYPES: ReadonlySet<string> = new Set(
  [
    'resource_group',
    'storage_account',
    'kubernetes_cluster',
    'linux_web_app',
    'windows_web_app',
    'container_registry',
    'key_vault',
    'postgresql_flexible_server',
    'virtual_network',
    'log_analytics_workspace',
    'user_assigned_identity',
    'linux_function_app',
    'service_plan',
    'redis_cache',
    'cosmosdb_account',
    'mssql_server',
    'mssql_database',
    'public_ip',
    'network_security_group',
    'container_app',
    'container_app_environment',
  ].map(type => `azurerm_${type}`),
);

export function isAwsResource(type: string): boolean {
  return type.startsWith('aws_');
}

export function isAzurermResource(type: string): boolean {
  return type.startsWith('azurerm_');
}
