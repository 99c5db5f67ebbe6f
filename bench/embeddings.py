"""Embedding maps for bench/results: t-SNE of SCOP-class test proteins embedded by the pretrained forward LM (before
fine-tuning) and by the forward classifier fine-tuned from it, coloured by structural class.
Usage: python bench/embeddings.py LM_DIR CLAS_DIR OUT.png [N]"""
import sys, time
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from protulm.data import load_dataset
from protulm.embed import embed, plot_projection

lm, clas, out = sys.argv[1:4]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
test = load_dataset('scop', 'test').sample(frac=1., random_state=0)[:n]
fig, axs = plt.subplots(1, 2, figsize=(12, 5))
for ax, (name, b) in zip(axs, (('pretrained LM (no labels seen)', lm), ('fine-tuned classifier', clas))):
    t0 = time.perf_counter()
    e = embed(b, test.seq, pool='mean')
    print(f"{name}: {e.shape} in {time.perf_counter() - t0:.1f}s", flush=True)
    plot_projection(e, test.label, 'tsne', title=f'{name}: t-SNE of mean-pooled encoder outputs', ax=ax)
fig.suptitle(f'SCOP class test split ({len(test):,} proteins), coloured by class a-g')
fig.tight_layout(); fig.savefig(out, dpi=100)
print(f"wrote {out}")
