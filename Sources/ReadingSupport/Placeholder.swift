public enum ReadingSupportPlaceholder {}
