"""PyTorch definitions of the MaskTune service's architectures, and a safetensors reader.

The service exports every model checkpoint as safetensors
(GET /api/v1/checkpoints/{id}/content?format=safetensors) whose tensor names are the state_dict names
of the models built here, so ``model.load_state_dict(state, strict=True)`` works:

- resnet18, resnet50: torchvision's own models. For inputs of at most 64 px the service uses a 3x3
  stride-1 stem without max-pool (so 32x32 images do not collapse); ``build`` makes the same change.
  Above 64 px with 3 channels a plain ``torchvision.models.resnet50(num_classes=k)`` loads the file.
- vgg16-bn: torchvision's ``vgg16_bn`` features; the head is one linear layer ``classifier`` on the
  globally average-pooled 512 channels (the service's CIFAR-style head) instead of the 4096-wide one.
- small-cnn (the MaskTune paper's MNIST net), seed-vgg, resnet32 (akamaster's CIFAR ResNet with
  option-A shortcuts): defined below.
- feature gate (MaskTune's SEED_ATTENTION fine-tune): a 1x1 convolution ``gate`` with a sigmoid
  multiplies the last feature map before the head.

Only torch, torchvision and numpy are needed (Debian's PyTorch has no safetensors package).

    from masktune_models import load
    model, meta = load("model.safetensors")        # eval mode, strict load
    x = preprocess(uint8_images_nchw, meta)          # (pixel / 255 - mean) / std
    logits = model(x)
"""

import json
import struct
import types

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

_NUMPY = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
          "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def load_safetensors(path):
    """Reads a safetensors file: returns (state_dict of CPU tensors, metadata dict of strings)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    state = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        if end > len(data):
            raise ValueError(f"truncated: tensor {name} needs data up to byte {end}, the file has {len(data)}")
        raw = data[begin:end]
        if entry["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=np.dtype(_NUMPY[entry["dtype"]]).newbyteorder("<"))
        state[name] = torch.from_numpy(array.astype(array.dtype.newbyteorder("="), copy=True).reshape(entry["shape"]))
    return state, metadata


class SmallCnn(nn.Module):
    """Four unpadded 3x3 convs (16, 16, 32, 32) with BN + ReLU, max-pools after the 2nd and 4th, FC 256, FC k.

    revision 2 (the service's current small-cnn, as the MaskTune authors define it) has BatchNorm1d(256) between
    FC 256 and its ReLU; revision 1 (checkpoints of the first release) has none.
    """

    def __init__(self, num_classes=10, in_channels=1, image_size=28, revision=2):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(in_channels, 16, 3), nn.BatchNorm2d(16)
        self.conv2, self.bn2 = nn.Conv2d(16, 16, 3), nn.BatchNorm2d(16)
        self.conv3, self.bn3 = nn.Conv2d(16, 32, 3), nn.BatchNorm2d(32)
        self.conv4, self.bn4 = nn.Conv2d(32, 32, 3), nn.BatchNorm2d(32)
        side = ((image_size - 4) // 2 - 4) // 2
        self.fc1 = nn.Linear(32 * side * side, 256)
        self.bn5 = nn.BatchNorm1d(256) if revision >= 2 else nn.Identity()
        self.fc2 = nn.Linear(256, num_classes)

    def features(self, x):
        x = F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))
        x = F.max_pool2d(x, 2)
        return F.relu(self.bn4(self.conv4(F.relu(self.bn3(self.conv3(x))))))

    def head(self, a):
        return self.fc2(F.relu(self.bn5(self.fc1(torch.flatten(F.max_pool2d(a, 2), 1)))))

    def forward(self, x):
        return self.head(self.features(x))


def _conv_bn_relu(cin, cout, bias):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=bias), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class SeedVgg(nn.Module):
    """Three stages of 2 x (conv3x3-BN-ReLU) at 64/128/256 with max-pools between, GAP, dropout 0.3, FC."""

    def __init__(self, num_classes=10, in_channels=3):
        super().__init__()
        layers = _conv_bn_relu(in_channels, 64, False) + _conv_bn_relu(64, 64, False) + [nn.MaxPool2d(2)]
        layers += _conv_bn_relu(64, 128, False) + _conv_bn_relu(128, 128, False) + [nn.MaxPool2d(2)]
        layers += _conv_bn_relu(128, 256, False) + _conv_bn_relu(256, 256, False)
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(0.3)
        self.classifier = nn.Linear(256, num_classes)

    def forward_features(self, x):
        return self.features(x)

    def head(self, a):
        return self.classifier(self.dropout(torch.flatten(F.adaptive_avg_pool2d(a, 1), 1)))

    def forward(self, x):
        return self.head(self.features(x))


class _BasicBlockA(nn.Module):
    """akamaster's CIFAR basic block; where the shape changes the shortcut subsamples and zero-pads channels."""

    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = planes - cin if stride != 1 or cin != planes else 0

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x
        if self.pad:
            shortcut = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad // 2, self.pad // 2))
        return F.relu(out + shortcut)


class ResNet32(nn.Module):
    """CIFAR ResNet-32 (He et al. 2016, 3 stages x 5 basic blocks at 16/32/64), akamaster's names."""

    def __init__(self, num_classes=10, in_channels=3, blocks=5):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        cin = 16
        for i, planes in enumerate((16, 32, 64)):
            stage = []
            for b in range(blocks):
                stage.append(_BasicBlockA(cin, planes, 2 if b == 0 and planes != cin else 1))
                cin = planes
            setattr(self, f"layer{i + 1}", nn.Sequential(*stage))
        self.linear = nn.Linear(64, num_classes)

    def features(self, x):
        return self.layer3(self.layer2(self.layer1(F.relu(self.bn1(self.conv1(x))))))

    def head(self, a):
        return self.linear(torch.flatten(F.adaptive_avg_pool2d(a, 1), 1))

    def forward(self, x):
        return self.head(self.features(x))


def torchvision_resnet(name, num_classes, in_channels=3, image_size=224):
    """torchvision's resnet18/resnet50, with the service's 3x3 stride-1 stem (no max-pool) up to 64 px."""
    model = getattr(torchvision.models, name)(num_classes=num_classes)
    if image_size <= 64:
        model.conv1 = nn.Conv2d(in_channels, 64, 3, stride=1, padding=1, bias=False)
        model.maxpool = nn.Identity()
    elif in_channels != 3:
        model.conv1 = nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)
    return model


def vgg16_bn(num_classes, in_channels=3):
    """torchvision's vgg16_bn features; head: global average pool and one linear layer, as the service."""
    model = torchvision.models.vgg16_bn()
    if in_channels != 3:
        model.features[0] = nn.Conv2d(in_channels, 64, 3, padding=1)
    model.avgpool = nn.AdaptiveAvgPool2d(1)
    model.classifier = nn.Linear(512, num_classes)
    return model


def _split(architecture, model):
    """(features, head) functions: features end at the service's xGradCAM layer, the head takes them to logits."""
    if architecture in ("resnet18", "resnet50"):
        def features(x):
            x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
            return model.layer4(model.layer3(model.layer2(model.layer1(x))))

        return features, lambda a: model.fc(torch.flatten(model.avgpool(a), 1))
    if architecture == "vgg16-bn":
        return (lambda x: model.features[:-1](x),
                lambda a: model.classifier(torch.flatten(model.avgpool(model.features[-1](a)), 1)))
    if architecture == "seed-vgg":
        return model.forward_features, model.head
    return model.features, model.head


_FEATURE_CHANNELS = {"small-cnn": 32, "seed-vgg": 256, "vgg16-bn": 512, "resnet32": 64, "resnet18": 512, "resnet50": 2048}


def with_feature_gate(architecture, model):
    """Adds the seed project's gate: head(A * sigmoid(gate(A))), gate a 1x1 convolution to one channel."""
    features, head = _split(architecture, model)
    model.gate = nn.Conv2d(_FEATURE_CHANNELS[architecture], 1, 1)

    def forward(self, x):
        a = features(x)
        return head(a * torch.sigmoid(self.gate(a)))

    model.forward = types.MethodType(forward, model)
    return model


def build(architecture, num_classes, in_channels=3, image_size=32, feature_gate=False, revision=None):
    """An untrained model whose state_dict names and shapes are those of the service's export."""
    if architecture == "small-cnn":
        model = SmallCnn(num_classes, in_channels, image_size, 2 if revision is None else revision)
    elif architecture == "seed-vgg":
        model = SeedVgg(num_classes, in_channels)
    elif architecture == "vgg16-bn":
        model = vgg16_bn(num_classes, in_channels)
    elif architecture == "resnet32":
        model = ResNet32(num_classes, in_channels)
    elif architecture in ("resnet18", "resnet50"):
        model = torchvision_resnet(architecture, num_classes, in_channels, image_size)
    else:
        raise ValueError(f"unknown architecture {architecture!r}")
    return with_feature_gate(architecture, model) if feature_gate else model


def build_from_metadata(metadata):
    """The model a safetensors export describes (its __metadata__)."""
    return build(metadata["architecture"], int(metadata["classes"]), int(metadata["input_channels"]),
                 int(metadata["input_size"]), metadata.get("feature_gate") == "true", int(metadata.get("revision", "1")))


def load(path):
    """(model in eval mode with the file's weights, metadata); the load is strict."""
    state, metadata = load_safetensors(path)
    model = build_from_metadata(metadata)
    model.load_state_dict(state, strict=True)
    return model.eval(), metadata


def preprocess(images, metadata):
    """uint8 NCHW images of the model's input size -> normalised float32, as the service feeds them."""
    mean = torch.tensor(json.loads(metadata["normalization_mean"])).view(1, -1, 1, 1)
    std = torch.tensor(json.loads(metadata["normalization_std"])).view(1, -1, 1, 1)
    return (torch.as_tensor(images).float() / 255 - mean) / std
