/** The page's entry: runs app.mjs's calls and leaves the outcome on window.__atiResult. */
import { exercise } from "./app.mjs";

const out = document.getElementById("out");
const { baseUrl, auth } = window.ATI_CONFIG;
exercise(baseUrl, auth).then(
  (result) => {
    window.__atiResult = { ok: true, result };
    out.textContent = JSON.stringify(result, null, 2);
  },
  (error) => {
    window.__atiResult = { ok: false, error: String((error && error.stack) || error) };
    out.textContent = `failed: ${window.__atiResult.error}`;
  },
);
