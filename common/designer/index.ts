/** The form designer's pure logic (shared by the client designer and the server's diff route). */
export * from './properties';
export * from './conditions';
export * from './diff';
export * from './operations';
