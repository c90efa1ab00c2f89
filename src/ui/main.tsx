import './lib/zod-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { firstRequestsAnswered } from './app/first-requests';
import { AppProvider } from './app/provider';
import { createAppRouter } from './app/router';
import { createQueryClient } from './lib/query-client';
import './styles.css';

/** How long the first render waits for the first page's answers (they are usually in before the code has run). */
const FIRST_ANSWERS_WAIT_MS = 400;

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const client = createQueryClient();
// Starts the first page's requests (its loaders), before anything renders.
const router = createAppRouter(client);
void firstRequestsAnswered(client, router, FIRST_ANSWERS_WAIT_MS).then(() =>
  createRoot(container).render(
    <StrictMode>
      <AppProvider queryClient={client}>
        <RouterProvider router={router} />
      </AppProvider>
    </StrictMode>,
  ),
);
