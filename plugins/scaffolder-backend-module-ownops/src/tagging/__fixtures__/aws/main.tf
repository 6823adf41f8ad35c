variable "region" {
  description = "Where the service runs"
  type        = string
  default     = "eu-central-1"
}

variable "extra_tags" {
  description = "More tags for the task role"
  type        = map(string)
  default     = {}
}

locals {
  name = "my-svc"
  common_tags = {
    Service = local.name
  }
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "assets" {
  bucket = "${local.name}-assets-${data.aws_caller_identity.current.account_id}"

  tags = {
    Name = "${local.name}-assets"
  }
}

resource "aws_s3_bucket" "replica" {
  provider = aws.replica
  bucket   = "${local.name}-assets-replica"
}

resource "aws_ecr_repository" "app" {
  name                 = local.name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/${local.name}"
  retention_in_days = 30
  tags              = merge(local.common_tags, { Component = "logs" })
}

resource "aws_iam_role" "task" {
  name = "${local.name}-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
  tags = var.extra_tags
}

# Attachments cannot be tagged; default tags do not apply to them either.
resource "aws_iam_role_policy_attachment" "task_logs" {
  role       = aws_iam_role.task.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"
}

output "assets_bucket" {
  value = aws_s3_bucket.assets.bucket
}
