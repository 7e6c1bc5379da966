"""llama.cpp's own HTTP server (through xllamacpp), on 127.0.0.1, until SIGTERM.

  serve.py MODEL.gguf PORT [CHAT_TEMPLATE.jinja]
"""
import signal
import sys

import xllamacpp as xlc

params = xlc.CommonParams()
params.model.path = sys.argv[1]
params.port = int(sys.argv[2])
params.n_ctx = 4096
params.n_parallel = 1
params.use_jinja = True
params.cpuparams.n_threads = 2
params.cpuparams_batch.n_threads = 2
if len(sys.argv) > 3:
    with open(sys.argv[3], encoding="utf-8") as f:
        params.chat_template = f.read()
server = xlc.Server(params)
print("listening", server.listening_address, flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
