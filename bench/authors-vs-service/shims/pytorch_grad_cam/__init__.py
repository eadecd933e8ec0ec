"""Stand-in for the `grad-cam` package (pytorch_grad_cam 1.3.7, pinned by the authors' requirements.txt),
which Debian does not package. Only what the authors' MNIST path uses: XGradCAM(model, target_layers,
use_cuda)(images) -> float32 maps N x H x W. Written from the published 1.3.x algorithm, not copied:

  * the model is put in eval mode when the CAM is built (BaseCAM.__init__ does `model.eval()`);
  * the target is the predicted class (argmax of the logits), the loss the sum of those logits;
  * XGradCAM weight of channel k: sum_ij(dY/dA_kij * A_kij) / (sum_ij A_kij + 1e-7);
  * cam = sum_k w_k A_k, negatives set to 0, per image min-max scaled (x - min) / (max + 1e-7),
    resized to the input's width x height with cv2.resize (bilinear), then, as aggregate_multi_layers
    does for the single layer, clipped at 0 and min-max scaled once more.
"""
import cv2
import numpy as np
import torch

__all__ = ["XGradCAM"]


def _scale(cams, size=None):
    out = []
    for img in cams:
        img = img - np.min(img)
        img = img / (1e-7 + np.max(img))
        if size is not None:
            img = cv2.resize(img, size)
        out.append(img)
    return np.float32(out)


class XGradCAM:
    def __init__(self, model, target_layers, use_cuda=False, reshape_transform=None):
        self.model = model.eval()
        self.cuda = use_cuda
        self.activations = []
        self.gradients = []
        self.handles = []
        for layer in target_layers:
            self.handles.append(layer.register_forward_hook(self._save_activation))
            self.handles.append(layer.register_full_backward_hook(self._save_gradient))

    def _save_activation(self, module, inputs, output):
        self.activations.append(output.cpu().detach())

    def _save_gradient(self, module, grad_input, grad_output):
        self.gradients = [grad_output[0].cpu().detach()] + self.gradients

    def __call__(self, input_tensor, target_category=None):
        self.activations, self.gradients = [], []
        if self.cuda:
            input_tensor = input_tensor.cuda()
        output = self.model(input_tensor)
        if target_category is None:
            target_category = np.argmax(output.cpu().data.numpy(), axis=-1)
        elif isinstance(target_category, int):
            target_category = [target_category] * input_tensor.size(0)
        self.model.zero_grad()
        loss = 0
        for i, c in enumerate(target_category):
            loss = loss + output[i, c]
        loss.backward(retain_graph=True)
        size = (input_tensor.size(-1), input_tensor.size(-2))
        per_layer = []
        for a, g in zip(self.activations, self.gradients):
            a, g = a.numpy(), g.numpy()
            weights = (g * a / (a.sum(axis=(2, 3))[:, :, None, None] + 1e-7)).sum(axis=(2, 3))
            cam = (weights[:, :, None, None] * a).sum(axis=1)
            cam[cam < 0] = 0
            per_layer.append(_scale(cam, size)[:, None, :])
        cams = np.maximum(np.concatenate(per_layer, axis=1), 0)
        return _scale(np.mean(cams, axis=1))

    def __del__(self):
        for h in self.handles:
            h.remove()
