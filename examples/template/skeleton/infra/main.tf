# Resources of ${{ values.name }}. The owner tags come from the aws
# provider's default_tags (ownops:tags:stamp writes them).

resource "aws_ecr_repository" "service" {
  name                 = "${{ values.name }}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_s3_bucket" "assets" {
  bucket_prefix = "${{ values.name }}-assets-"
}

resource "aws_cloudwatch_log_group" "service" {
  name              = "/ownops/${{ values.name }}"
  retention_in_days = 30
}
