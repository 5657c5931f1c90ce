// @actions/http-client imports undici only for getAgentDispatcher(), the proxy
// dispatcher for fetch(). Neither this action nor @actions/core calls it: they
// use the http(s) agents, and the tunnel agent behind a proxy. Evaluating the
// real undici at start-up costs about 70 ms and 900 kB of bundle, so package.json
// overrides it with this stub, which fails loudly if that path is ever reached.
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled with this action (see stubs/undici/index.js)')
  }
}
