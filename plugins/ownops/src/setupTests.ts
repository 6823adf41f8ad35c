import { configure } from '@testing-library/react';
import '@testing-library/jest-dom';

// Whole-repo runs share two cores; give async UI assertions room.
configure({ asyncUtilTimeout: 5000 });
