// The resource classes (`klipy.people`, …) and the client's own operations (`authenticate`,
// `request`), built from the core's operation table (contract.mjs `operations`): each
// operation is a method named `method` taking its `args` in order, then the request options.
// Its `result` kind picks the bridge function: `page` → query, `bulk` → bulk, the rest → call
// (`deleted` also turns an empty answer into `{ id, deleted: true }`).

import { ValidationError } from "./errors.mjs";
import { bulk, call, query } from "./bridge.mjs";
import { attachRequestId, checkId, checkInput, isPlainObject } from "./values.mjs";

// The bridge context (`{ run }`) of each resource and client, out of sight of inspection and
// serialisation (the wasm client holds the key).
const contexts = new WeakMap();

/** Gives `target` (a resource or a client) the bridge context its methods call through. */
export function bindContext(target, ctx) {
  contexts.set(target, ctx);
}

/** `request`'s params: the method, a path under `baseUrl`, a body and query parameters. */
function rawParams(params, field) {
  checkInput(params, field);
  const { method, path, body, query: q } = params;
  if (typeof method !== "string") {
    throw new ValidationError("`method` must be a string such as \"GET\".", { field: "method" });
  }
  if (typeof path !== "string") {
    throw new ValidationError("`path` must be a string such as \"/people/per_1\".", { field: "path" });
  }
  if (q !== undefined && q !== null && !isPlainObject(q)) {
    throw new ValidationError("`query` must be an object of parameter names to values.", { field: "query" });
  }
  return { method, path, body, query: q };
}

/** The args object sent to the core for a call: one field per argument (`rawParams` spread). */
function argsOf(op, values) {
  const out = {};
  op.args.forEach((arg, i) => {
    const value = values[i];
    if (arg.type === "id") {
      checkId(value, arg.name);
      out[arg.name] = value;
    } else if (arg.type === "object") {
      checkInput(value, arg.name);
      out[arg.name] = value;
    } else if (arg.type === "rawParams") {
      Object.assign(out, rawParams(value, arg.name));
    } else {
      out[arg.name] = value;
    }
  });
  return out;
}

/**
 * A delete answered with no body (a 204, or `data: null`) means `{ id, deleted: true }` for the id
 * asked for; the core refuses anything but a record or no body.
 */
function deletedOf(id) {
  return (response) => {
    if (response.data === null) response.data = attachRequestId({ id, deleted: true }, response.requestId);
    return response;
  };
}

/** The method for one operation; `this` is a resource or a client bound with `bindContext`. */
function operationMethod(op) {
  const n = op.args.length;
  const idAt = op.args.findIndex((a) => a.type === "id");
  const impl = {
    [op.method](...given) {
      const ctx = contexts.get(this);
      const values = given.slice(0, n);
      const opts = given[n];
      if (op.result === "page") return query(ctx, op.name, values[0], opts);
      if (op.result === "bulk") return bulk(ctx, op.name, values[0], opts);
      const shape = op.result === "deleted" ? deletedOf(values[idAt]) : undefined;
      return call(ctx, op.name, () => argsOf(op, values), opts, shape);
    },
  };
  return impl[op.method];
}

/** Adds one method per operation to `proto`, non-enumerable like a class's own methods. */
export function defineOperations(proto, ops) {
  for (const op of ops) {
    Object.defineProperty(proto, op.method, {
      value: operationMethod(op),
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
}

const classNameOf = (resource) => resource[0].toUpperCase() + resource.slice(1);

/**
 * One class per resource named in `operations` (`people` → `People`), in the contract's order:
 * `{ resource, cls }[]`. An instance is made with the bridge context.
 */
export function resourceClasses(operations) {
  const byResource = new Map();
  for (const op of operations) {
    if (op.resource === null) continue;
    if (!byResource.has(op.resource)) byResource.set(op.resource, []);
    byResource.get(op.resource).push(op);
  }
  return [...byResource].map(([resource, ops]) => {
    const name = classNameOf(resource);
    const cls = {
      [name]: class {
        /** @internal */
        constructor(ctx) {
          bindContext(this, ctx);
        }
      },
    }[name];
    defineOperations(cls.prototype, ops);
    return { resource, cls };
  });
}

/** The operations that belong to the client itself (`resource: null`). */
export function clientOperations(operations) {
  return operations.filter((op) => op.resource === null);
}
