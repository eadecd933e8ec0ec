#!/usr/bin/python3
"""Peak RSS of PyTorch eager training torchvision resnet50 (40 outputs, BCE) at 224 px, batch 32, 1 thread: what
bench/data-pipeline compares the service's resnet50 steps with. usage: torch_resnet50_rss.py [STEPS=10]"""
import resource, sys, time, torch, torchvision
torch.manual_seed(0)
torch.set_num_threads(1)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
model = torchvision.models.resnet50(num_classes=40)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
loss_fn = torch.nn.BCEWithLogitsLoss()
x = torch.randn(32, 3, 224, 224); y = (torch.rand(32, 40) < 0.3).float()
t = time.time()
for s in range(1, steps + 1):
    opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); opt.step()
    print("step %d loss %.4f maxrss %d MB %.1f s" % (s, loss.item(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, time.time() - t), flush=True)
