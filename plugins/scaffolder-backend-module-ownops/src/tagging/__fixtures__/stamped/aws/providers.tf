terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }
}

# The service runs in one region.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      ManagedBy = "opentofu" # set by the platform team, must survive stamping
      "owner"   = "group.default.team-checkout"
      "backstage-entity" = "component.default.my-svc"
      "cost-center"      = "cc-1001"
      environment        = "staging"
    }
  }
}

# Replicas of the assets live in a second region.
provider "aws" {
  alias  = "replica"
  region = "eu-west-1"

  default_tags {
    tags = {
      "backstage-entity" = "component.default.my-svc"
      owner              = "group.default.team-checkout"
      "cost-center"      = "cc-1001"
      environment        = "staging"
    }
  }
}
