"GPU paths: pretrain and finetune (tiny preset) with fp16 and bf16 on CUDA"
import json, os, sys, time, traceback
import torch
from protulm.data import toy_proteins
from protulm.pretrain import pretrain, load_lm
from protulm.classifier import finetune, load_classifier
dev = os.environ.get('DEV', 'cuda'); out = os.environ.get('OUT', '/tmp')
toy = toy_proteins(300, n_classes=3, seed=1); res = dict(device=dev, card=torch.cuda.get_device_name() if dev == 'cuda' else 'cpu', torch=torch.__version__)
for prec in ('fp16', 'bf16'):
    t = time.time()
    try:
        lm = pretrain(toy.seq.tolist(), f'/tmp/lm_{prec}', preset='tiny', epochs=1, precision=prec, device=dev, progress=False, force=True)
        c = finetune(toy[:240], lm, f'/tmp/c_{prec}', valid=toy[240:], stages='1:1:1,all:1:0.5', bs=16, precision=prec, device=dev, progress=False, force=True)
        b = load_classifier(c)
        res[prec] = dict(ok=True, secs=round(time.time()-t, 1), lm_precision=load_lm(lm).config['precision'], lm_device=load_lm(lm).config['device'],
                         clas_precision=b.config['train']['precision'], valid_accuracy=b.config['metrics']['valid_accuracy'])
    except Exception: res[prec] = dict(ok=False, error=traceback.format_exc()[-1500:])
    print(prec, res[prec], flush=True)
json.dump(res, open(f'{out}/paths.json', 'w'), indent=1)
