// The load balancer's model: what Marathon's apps mean for HAProxy, as plain data. One `Service` per
// selected service port of an app becomes one frontend and one backend (marathon-lb's model); its
// `endpoints` are the tasks that should receive traffic (or drain). Built by `config/services.ts`,
// rendered by `config/render-haproxy.ts`, diffed by `sync/`.

/** A task's address for one service port. */
export interface Endpoint {
  readonly taskId: string;
  /** The agent host name Marathon reports. */
  readonly host: string;
  /** The IPv4 address HAProxy connects to. */
  readonly ip: string;
  readonly port: number;
  /** KILLING: keep its open sessions, send it no new ones. */
  readonly draining: boolean;
}

/** Marathon's health check for a port, as HAProxy's own `check` repeats it (marathon-lb B.4). */
export interface ServiceHealthCheck {
  /** `option httpchk GET <path>` in http mode; absent for TCP checks. */
  readonly httpPath?: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  /** `fall`: Marathon's maxConsecutiveFailures + 1. */
  readonly fall: number;
  /** An explicit check port (`port <p>` on the server line). */
  readonly port?: number;
}

export type ServiceMode = 'tcp' | 'http';

export interface Service {
  readonly appId: string;
  /** Index of the port in the app's port definitions / mappings (`{n}` in HAPROXY_{n}_*). */
  readonly portIndex: number;
  /** The frontend's port: the service port, or HAPROXY_{n}_PORT. */
  readonly servicePort: number;
  /** Frontend and backend name: `shop_web_10001`. */
  readonly backend: string;
  readonly mode: ServiceMode;
  readonly balance: string;
  /** HAPROXY_{n}_BIND_ADDR, or the LB's default bind address. */
  readonly bindAddress: string;
  readonly bindOptions: string;
  /** Lower-cased HAPROXY_{n}_VHOST entries (shared :80/:443 frontends). */
  readonly vhosts: readonly string[];
  /** HAPROXY_{n}_PATH: a `path_beg` argument. */
  readonly path?: string;
  readonly backendWeight: number;
  readonly sticky: boolean;
  readonly redirectToHttps: boolean;
  readonly useHsts: boolean;
  /** HAPROXY_{n}_SSL_CERT: `ssl crt <file>` on the service port's bind. */
  readonly sslCert?: string;
  readonly proxyPassPath?: string;
  readonly healthCheck?: ServiceHealthCheck;
  /** Sorted by (host, port): the output is deterministic. */
  readonly endpoints: readonly Endpoint[];
  /**
   * The tasks the app asks for (Marathon's `instances`): a scale-up is known before its tasks run,
   * so the backend gets its slots (a reload) while they are still starting.
   */
  readonly plannedEndpoints?: number;
}

/** An app (or one of its ports) left out, and why; every other app keeps being served. */
export interface ExcludedApp {
  readonly appId: string;
  readonly portIndex?: number;
  readonly reason: string;
}

/** The generator's own settings that shape the configuration. */
export interface LbSettings {
  /** HAPROXY_GROUP values this LB serves; `*` takes every app, with or without a group. */
  readonly groups: readonly string[];
  /** Ports need HAPROXY_{n}_ENABLED=true as well. */
  readonly strictMode: boolean;
  /** The shared vhost frontends (marathon-lb's :80 and :443) and the app-id frontend (:9091). */
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly appIdPort: number;
  /** Stats, Prometheus and the health check URI (marathon-lb's :9090); 0 = none. */
  readonly statsPort: number;
  /** Bind address of every frontend without HAPROXY_{n}_BIND_ADDR (marathon-lb: `*`). */
  readonly bindAddress: string;
  /** Certificates for the shared HTTPS frontend; none = no HTTPS frontend. */
  readonly sslCerts: readonly string[];
  /** The admin socket the generator drives through the Runtime API (`expose-fd listeners`). */
  readonly adminSocket: string;
  /** Global `maxconn`; 0 lets HAProxy derive it from its file descriptor limit. */
  readonly maxconn: number;
  /** HAProxy's threads; absent or 0 = one per CPU (HAProxy's default). */
  readonly nbthread?: number;
  /** Old workers still holding connections are stopped after this long (`hard-stop-after`). */
  readonly hardStopAfterSeconds: number;
  /** Where HAProxy's logs go: a `log` target such as `stderr format short local0` ; '' = none. */
  readonly logTarget: string;
}
