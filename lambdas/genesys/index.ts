export * from './auth';
export * from './client';
export * from './errors';
export * from './http';
export * from './models';
export * from './redactor';
export * from './regions';
