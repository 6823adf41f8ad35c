import { configure } from '@testing-library/react';
import '@testing-library/jest-dom';

// Whole-repo runs share two cores with database and browser tests: give
// async UI assertions room, and each test more than Jest's default 5 s,
// which a busy machine exceeds while rendering a whole page.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
