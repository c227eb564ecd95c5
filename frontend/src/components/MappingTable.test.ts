import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import MappingTable from './MappingTable.svelte';

describe('MappingTable', () => {
  const props = {
    headers: ['Full name', 'E-mail', 'Mobile'],
    mapping: { name: 0, email: 1 },
    fields: ['name', 'email', 'phone'],
  };

  it('shows, for each column, the field it fills', () => {
    render(MappingTable, { ...props, onchange: () => {} });
    expect((screen.getByLabelText('Field for column Full name') as HTMLSelectElement).value).toBe('name');
    expect((screen.getByLabelText('Field for column E-mail') as HTMLSelectElement).value).toBe('email');
    expect((screen.getByLabelText('Field for column Mobile') as HTMLSelectElement).value).toBe('');
  });

  it('reports the column and the chosen field', async () => {
    const onchange = vi.fn();
    render(MappingTable, { ...props, onchange });
    await fireEvent.change(screen.getByLabelText('Field for column Mobile'), { target: { value: 'phone' } });
    expect(onchange).toHaveBeenCalledWith(2, 'phone');
  });
});
