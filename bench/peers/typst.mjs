// Compiles a digest with Typst (bench/peers/digest.typ) through the npm
// package @myriaddreamin/typst-ts-node-compiler, the way bench/peers.sh
// times it:  node typst.mjs DIGEST.xml OUT.pdf   (NODE_PATH: where it is installed)
import { createRequire } from "node:module";
import { copyFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(process.env.NODE_PATH || process.cwd(), "x.js"));
const { NodeCompiler } = require("@myriaddreamin/typst-ts-node-compiler");
const [input, output] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
// the workspace holds the template and a copy of the digest
const ws = mkdtempSync(join(tmpdir(), "dp-typst-"));
try {
  copyFileSync(join(here, "digest.typ"), join(ws, "main.typ"));
  copyFileSync(input, join(ws, "digest.xml"));
  const compiler = NodeCompiler.create({
    workspace: ws,
    fontArgs: [{ fontPaths: ["/usr/share/fonts/opentype/ipaexfont-mincho",
                             "/usr/share/fonts/opentype/ipaexfont-gothic"] }],
  });
  const pdf = compiler.pdf({ mainFilePath: join(ws, "main.typ"), inputs: { digest: "digest.xml" } });
  writeFileSync(output, pdf);
} finally {
  rmSync(ws, { recursive: true, force: true });
}
