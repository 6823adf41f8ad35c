resource "random_pet" "suffix" {
  length = 2
}

resource "google_storage_bucket" "assets" {
  name     = "my-svc-assets-${random_pet.suffix.id}"
  location = "EU"
  labels   = { app = "my-svc" }
}

# Network tags, not a tag map: neither stamped nor checked.
resource "google_compute_instance" "worker" {
  name         = "my-svc-worker"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  tags         = ["worker"]

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}

module "queue" {
  source = "./modules/queue"
  tags   = { app = "my-svc" }
}
