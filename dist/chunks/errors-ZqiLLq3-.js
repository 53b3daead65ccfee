class InputError extends Error {
  input;
  constructor(input, message, options) {
    super(`Input '${input}': ${message}`, options);
    this.name = "InputError";
    this.input = input;
  }
}
class ServiceError extends Error {
  service;
  url;
  constructor(service, url, message, options) {
    super(`${service} (${url}): ${message}`, options);
    this.name = "ServiceError";
    this.service = service;
    this.url = url;
  }
}
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

export { InputError as I, ServiceError as S, errorMessage as e };
