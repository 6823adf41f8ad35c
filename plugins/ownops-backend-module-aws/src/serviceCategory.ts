/**
 * FOCUS ServiceCategory of the common AWS SERVICE dimension values; the
 * rest fall back to keyword rules, then `Other`.
 */
const BY_SERVICE: Record<string, string> = {
  'Amazon Elastic Compute Cloud - Compute': 'Compute',
  'EC2 - Other': 'Compute',
  'AWS Lambda': 'Compute',
  'Amazon Elastic Container Service': 'Compute',
  'Amazon Elastic Container Service for Kubernetes': 'Compute',
  'Amazon EC2 Container Registry (ECR)': 'Compute',
  'Amazon Lightsail': 'Compute',
  'AWS Fargate': 'Compute',
  'AWS Batch': 'Compute',
  'Amazon Relational Database Service': 'Databases',
  'Amazon DynamoDB': 'Databases',
  'Amazon ElastiCache': 'Databases',
  'Amazon DocumentDB (with MongoDB compatibility)': 'Databases',
  'Amazon Neptune': 'Databases',
  'Amazon MemoryDB': 'Databases',
  'Amazon Redshift': 'Analytics',
  'Amazon Athena': 'Analytics',
  'Amazon OpenSearch Service': 'Analytics',
  'Amazon Kinesis': 'Analytics',
  'AWS Glue': 'Analytics',
  'Amazon Simple Storage Service': 'Storage',
  'Amazon Elastic File System': 'Storage',
  'Amazon Elastic Block Store': 'Storage',
  'Amazon S3 Glacier': 'Storage',
  'AWS Backup': 'Storage',
  'Amazon CloudFront': 'Networking',
  'Amazon Virtual Private Cloud': 'Networking',
  'Amazon Route 53': 'Networking',
  'Elastic Load Balancing': 'Networking',
  'Amazon API Gateway': 'Networking',
  'AWS Direct Connect': 'Networking',
  'AWS Data Transfer': 'Networking',
  AmazonCloudWatch: 'Management and Governance',
  'AWS CloudTrail': 'Management and Governance',
  'AWS Config': 'Management and Governance',
  'AWS Systems Manager': 'Management and Governance',
  'AWS CloudFormation': 'Management and Governance',
  'AWS Key Management Service': 'Security',
  'AWS Secrets Manager': 'Security',
  'AWS WAF': 'Security',
  'Amazon GuardDuty': 'Security',
  'AWS Security Hub': 'Security',
  'Amazon Cognito': 'Identity',
  'AWS Directory Service': 'Identity',
  'Amazon Simple Queue Service': 'Integration',
  'Amazon Simple Notification Service': 'Integration',
  'Amazon EventBridge': 'Integration',
  'AWS Step Functions': 'Integration',
  'Amazon MQ': 'Integration',
  'Amazon Simple Email Service': 'Business Applications',
  'Amazon SageMaker': 'AI and Machine Learning',
  'Amazon Bedrock': 'AI and Machine Learning',
  'AWS CodeBuild': 'Developer Tools',
  'AWS CodePipeline': 'Developer Tools',
  'AWS IoT': 'Internet of Things',
  Tax: 'Other',
};

const BY_KEYWORD: Array<[RegExp, string]> = [
  [
    /bedrock|sagemaker|comprehend|rekognition|textract|polly/i,
    'AI and Machine Learning',
  ],
  [/database|rds|dynamodb|elasticache|aurora/i, 'Databases'],
  [/storage|s3|glacier|backup/i, 'Storage'],
  [/cloudfront|vpc|route 53|load balanc|data transfer|network/i, 'Networking'],
  [/ec2|compute|lambda|container|fargate/i, 'Compute'],
  [
    /cloudwatch|cloudtrail|config|systems manager|organizations/i,
    'Management and Governance',
  ],
  [/security|guard|waf|shield|kms|secrets|inspector/i, 'Security'],
];

/** The FOCUS ServiceCategory of an AWS Cost Explorer SERVICE value. */
export function serviceCategoryOf(service: string): string {
  const known = BY_SERVICE[service];
  if (known) {
    return known;
  }
  return BY_KEYWORD.find(([pattern]) => pattern.test(service))?.[1] ?? 'Other';
}
