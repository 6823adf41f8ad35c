variable "region" {
  description = "AWS region of the service's resources"
  type        = string
  default     = "eu-west-1"
}
