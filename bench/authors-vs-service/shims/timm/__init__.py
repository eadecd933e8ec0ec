"""Stand-in for `timm`: the authors' src/models/resnet50.py imports it at module level; the MNIST path
(small_cnn) never calls it. Anything that does fails loudly."""


def create_model(*args, **kwargs):
    raise RuntimeError("timm is not installed: this bench only runs the authors' small_cnn on MNIST")
