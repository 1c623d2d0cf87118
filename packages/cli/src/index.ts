// Public surface of this package: only what is exported here is API.
export {};
