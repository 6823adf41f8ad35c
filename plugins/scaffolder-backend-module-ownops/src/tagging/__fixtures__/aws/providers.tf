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
      "owner"   = "group.default.team-previous"
    }
  }
}

# Replicas of the assets live in a second region.
provider "aws" {
  alias  = "replica"
  region = "eu-west-1"
}
